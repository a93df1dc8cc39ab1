"""factory-boy factories for the registry. Other apps keep theirs in tests/<app>/factories.py."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from board.models import (
    Appointment,
    MemberOrganisation,
    Membership,
    Organ,
    Organisation,
    Person,
    StaffRole,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.se")
    password = factory.django.Password("korrekt-hast-batteri")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Samordningsförbundet Test {n}")
    short_name = factory.Sequence(lambda n: f"SFT{n}")
    slug = factory.Sequence(lambda n: f"sft-{n}")
    storage_place = "Förbundets kansli"
    notice_place = "Förbundets webbplats"
    active_from = dt.date(2015, 1, 1)
    # The tests of the password signature run in an association that accepts a simple
    # signature; the level rule's own tests set avancerad, the default of a new association.
    signing_min_level = "enkel"


class MemberOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberOrganisation

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    kind = MemberOrganisation.Kind.MUNICIPALITY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    member = factory.SubFactory(MemberOrganisationFactory)
    start = dt.date(2015, 1, 1)


class OrganFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organ

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Organ.Kind.BOARD
    name = factory.LazyAttribute(lambda o: f"Styrelsen {o.organisation.short_name}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Förnamn{n}")
    last_name = factory.Sequence(lambda n: f"Efternamn{n}")
    email = factory.LazyAttribute(lambda p: f"{p.first_name.lower()}@example.se")


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    organ = factory.SubFactory(OrganFactory)
    person = factory.SubFactory(PersonFactory)
    seat = Appointment.Seat.MEMBER
    appointed_by = factory.SubFactory(MemberOrganisationFactory)
    start = dt.date(2020, 1, 1)


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(PersonFactory)
    role = StaffRole.Role.SECRETARY
    start = dt.date(2020, 1, 1)
