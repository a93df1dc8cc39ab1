"""Public pages (no login): the notice board, notices, the archive of justerade minutes, search,
the accessibility statement; and the secretary's pages for notices (Action.EDIT_MINUTES).

Everything public starts from minutes/public_selectors.py. Dates are "today" in
Europe/Stockholm at the moment of the request: a notice is on the board from its posting day
through its takedown day, whatever any background job did or did not do.

Personal data (README, "Personal data on the public side"): every public page goes out
through `_public`, which masks personal identity numbers in the whole response
(minutes.projection.public_text, whatever the secretary typed and whenever the page was
stored) and says `noindex` to search engines where they get nothing: the notices and their
archive, the search results, and minutes past the association's indexing choice (meta element
in the page, X-Robots-Tag header on every response). What is past the association's retention
answers 410 Gone with how to ask for the document (`_gone`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from board import services as board_services
from board.forms import (
    AccessibilityFeedbackForm,
    OptionsSelect,
    PlainSearchInput,
    add_service_errors,
)
from board.models import Organ, Organisation
from board.permissions import Action, can, organisation_or_404
from board.ratelimit import rate_limited

from ..models import Meeting, Notice, NoticeAttachment
from ..notices import services as notice_services
from ..projection import public_text
from .blocks import board_page, notice_blocks
from .cache import cached_content, cached_value
from .links import MINUTES_DETAIL, MINUTES_YEARS
from .privacy import gone_sentence
from .publication import minutes_page
from .search import Filters, search_page
from .selectors import (
    FilterChoices,
    OrganisationChoice,
    PublicOrganisation,
    archive_meetings,
    archive_years,
    filter_choices,
    justering_appeal_ends,
    longest_minutes_retention,
    minutes_indexable,
    notice_public,
    notice_rows,
    notices_archive,
    notices_up,
    organisation_choices,
    public_meetings,
    public_notices,
    public_pdfs_for,
    today,
)

# --- helpers -------------------------------------------------------------------------------

NOINDEX = "noindex"
# The responses whose text is masked: what a reader or a feed reader gets as text.
MASKED_TYPES = ("text/html", "application/atom+xml", "text/calendar", "application/xml", "text/xml")


def public_response(response: HttpResponse, *, noindex: bool) -> HttpResponse:
    """The response as the public may have it: personal identity numbers masked in its text,
    and `X-Robots-Tag: noindex` where search engines are to keep nothing."""
    content_type = response.get("Content-Type", "")
    if not response.streaming and any(content_type.startswith(t) for t in MASKED_TYPES):
        charset = response.charset or "utf-8"
        response.content = public_text(response.content.decode(charset)).encode(charset)
    if noindex:
        response["X-Robots-Tag"] = NOINDEX
    return response


def _public(request: HttpRequest, template: str, context: dict[str, Any], *, noindex: bool,
            status: int = 200) -> HttpResponse:
    return public_response(render(request, template, {**context, "noindex": noindex}, status=status),
                           noindex=noindex)


def _whole_page(request: HttpRequest, answer: Callable[[], HttpResponse]) -> HttpResponse:
    """`answer()`, and for a reader who is not signed in and has no message waiting (nearly
    every visitor) the whole response from the page cache: status, X-Robots-Tag and the masked
    bytes, frame included, kept under the address asked for and the language. The frame was
    most of a cached page's time (the templates of base.html and the masking: 1.6 ms of a board
    from the cache, in process), and it is the same for every such reader: no CSRF token, no
    name in the header, no message. Same version, day and expiry as the content cache
    (cache.py), so a change or midnight shows at once here too. A signed-in reader's page is
    rendered around the cached content as before; a 404 is raised through, never kept."""
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return answer()

    def kept() -> tuple[int, str | None, bytes]:
        response = answer()
        return response.status_code, response.get("X-Robots-Tag"), response.content

    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    status, robots, content = cached_value(f"page:{get_language()}:{address}", kept)
    response = HttpResponse(content, status=status)
    if robots:
        response["X-Robots-Tag"] = robots
    return response


def _gone(request: HttpRequest, organisation: PublicOrganisation, what: str) -> HttpResponse:
    """410 Gone: the document was on the web and is no longer, and how to ask for it."""
    return _public(request, "public/gone.html", {
        "organisation": organisation, "sentence": gone_sentence(organisation, what),
    }, noindex=True, status=410)


def _organisations() -> list[OrganisationChoice]:
    """Every association, for the filters and the addresses: without the organs, which only
    the search's filter offers (one query less for the board with the page cache off)."""
    return cached_value("organisations", organisation_choices)


def _organisation_or_none(slug: str | None, organisations: Callable[[], list[OrganisationChoice]] = _organisations,
                          ) -> OrganisationChoice | None:
    """The association of `slug` from the cached filter choices (no query), 404 if unknown."""
    if not slug:
        return None
    return _organisation(slug, organisations)


def _organisation(slug: str, organisations: Callable[[], list[OrganisationChoice]] = _organisations,
                  ) -> OrganisationChoice:
    for organisation in organisations():
        if organisation.slug == slug:
            return organisation
    raise Http404


def _choices() -> FilterChoices:
    return cached_value("choices", filter_choices)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("sida", "1")))
    except ValueError:
        return 1


# --- the notice board ----------------------------------------------------------------------

# Notices on a page of the board: its cost stays the same however many are up across the
# associations (a page is one query for its stored rendering, or BOARD_PAGE_SIZE notices
# rendered after a change, README "Benchmarks").
BOARD_PAGE_SIZE = 25


@require_GET
def board(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """/anslagstavla/ and /anslagstavla/<förbund>/: the notices up today, newest first."""
    organisations = functools.cache(_organisations)  # at most once: a query with the page cache off
    if slug is None and (chosen := request.GET.get("forbund")):
        # To the association's own address; `?forbund=` is only the filter form's way there
        # (with any text in it, the redirect itself answered 500). 404 for one that does not exist.
        return redirect("public:board_org", slug=_organisation(chosen, organisations).slug)
    number = _page_number(request)

    def answer() -> HttpResponse:
        organisation = _organisation_or_none(slug, organisations)  # 404 for one that does not exist

        def render(day: dt.date) -> tuple[str, int]:
            page = Paginator(notices_up(day=day, organisation=organisation), BOARD_PAGE_SIZE).get_page(number)
            return render_to_string("public/_board_content.html", {
                "page": page,
                "blocks": notice_blocks(notice_rows(page.object_list)),
                "organisation": organisation,
                "organisations": organisations(),
                "today": day,
            }), page.number

        def content() -> str:  # as stored (blocks.board_page), or rendered from the notices and stored
            return board_page(organisation.slug if organisation else "", number, render)

        key = f"board:{organisation.pk if organisation else 'alla'}:{number}"
        return _public(request, "public/board.html", {
            "organisation": organisation,
            "content": cached_content(key, content),
        }, noindex=True)

    return _whole_page(request, answer)


@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    day = today()
    notice = notice_public(pk, day=day)
    if notice is None:
        withdrawn = public_notices(withdrawn_too=True).filter(pk=pk, posted_on__lte=day).select_related(
            "organisation").first()
        if withdrawn is None:
            raise Http404
        return _gone(request, withdrawn.organisation, "Anslaget")
    row = notice_rows([notice])[0]
    return _public(request, "public/notice_detail.html", {
        "row": row, "notice": notice, "is_up": notice.is_up_on(day), "today": day,
        "appeal_text": notice_services.appeal_text(notice),
    }, noindex=True)


@require_GET
def notice_attachment(request: HttpRequest, pk: int, att_pk: int) -> HttpResponseBase:
    notice = notice_public(pk, day=today())
    if notice is None:
        withdrawn = public_notices(withdrawn_too=True).filter(pk=pk, posted_on__lte=today()).select_related(
            "organisation").first()
        if withdrawn is None:
            raise Http404
        return _gone(request, withdrawn.organisation, "Bilagan till anslaget")
    attachment = get_object_or_404(NoticeAttachment, pk=att_pk, notice=notice)
    name = attachment.original_name or f"{attachment.title}.{attachment.file_type or 'pdf'}"
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=name)
    response["X-Robots-Tag"] = NOINDEX
    return response


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    """Notices taken down, each with the period it was up."""
    organisation = _organisation_or_none(request.GET.get("forbund"))
    paginator = Paginator(notices_archive(day=today(), organisation=organisation), 50)
    page = paginator.get_page(_page_number(request))
    return _public(request, "public/archive.html", {
        "page": page, "rows": notice_rows(page.object_list), "organisation": organisation,
        "organisations": _organisations(),
    }, noindex=True)


# --- the archive of minutes ----------------------------------------------------------------


@require_GET
def minutes_index(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    organisation = _organisation_or_none(slug or request.GET.get("forbund"))
    if organisation is None:
        return _public(request, "public/minutes_index.html", {
            "organisations": [(o, MINUTES_YEARS(o.slug)) for o in _organisations()]}, noindex=False)
    return _public(request, "public/minutes_years.html", {
        "organisation": organisation, "years": archive_years(organisation),
    }, noindex=False)


@require_GET
def minutes_year(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    organisation = _organisation(slug)
    meetings = archive_meetings(organisation, year)
    if not meetings and public_meetings(withdrawn_too=True).filter(
            organ__organisation_id=organisation.pk, date__year=year).exists():
        return _gone(request, organisation, f"Protokollen från {year}")
    pdfs = public_pdfs_for(m.pk for m in meetings)
    # Indexable while one of its minutes is (their page lists them).
    appeal_ends = dict(public_meetings().filter(pk__in=[m.pk for m in meetings])
                       .annotate(appeal_ends=justering_appeal_ends()).values_list("pk", "appeal_ends"))
    indexable = any(minutes_indexable(organisation, appeal_ends.get(m.pk)) for m in meetings)
    return _public(request, "public/minutes_year.html", {
        "organisation": organisation, "year": year,
        "rows": [(m, MINUTES_DETAIL(organisation.slug, year, m.pk), pdfs.get(m.pk)) for m in meetings],
    }, noindex=not indexable)


@require_GET
def minutes_detail(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    """The justerade minutes as HTML; drafts do not exist here (404).

    The attendance and paragraphs come from the page stored at the justering, the notice and
    the PDF link are read with it, in one query (minutes/publication.py). For a reader not
    signed in, the whole page (or its 410) from the page cache (_whole_page): that one query
    and the frame cost ten times the bare view, a page from the cache about twice.
    """
    def answer() -> HttpResponse:
        page = minutes_page(slug, year, pk)
        if page is None:
            raise Http404
        if page.withdrawn:
            return _gone(request, page.organisation, "Protokollet")
        return _public(request, "public/minutes_detail.html", {
            "title": page.title, "content": mark_safe(page.html),  # noqa: S308 - our templates
        }, noindex=not page.indexable)

    return _whole_page(request, answer)


# --- search --------------------------------------------------------------------------------


INVALID_CHOICE = forms.ChoiceField.default_error_messages["invalid_choice"]


class SearchForm(forms.Form):
    """The words and the filters. The filters are plain fields checked against the values
    offered (with ChoiceField's message): three ChoiceFields normalised their 230 choices on
    every search, 1.2 ms of CPU. Each filter's OptionsSelect lists what it is `offered`."""

    q = forms.CharField(label="Sökord", max_length=200, required=False, widget=PlainSearchInput,
                        help_text='Ord eller "exakt fras"; -ord utesluter.')
    forbund = forms.CharField(label="Förbund", required=False, widget=OptionsSelect)
    ar = forms.CharField(label="År", required=False, widget=OptionsSelect)
    organ = forms.CharField(label="Organ", required=False, widget=OptionsSelect)

    def __init__(self, *args: Any, choices: FilterChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = today().year
        years = list(range(this_year, this_year - 16, -1))
        self.organisations = {o.slug: o for o in choices.organisations}
        self._years = set(years)
        self._organs = {pk for pk, _name in choices.organs}
        self._select("forbund").offered = [("", "Alla förbund")] + [(o.slug, o.name) for o in choices.organisations]
        self._select("ar").offered = [("", "Alla år")] + [(y, str(y)) for y in years]
        self._select("organ").offered = [("", "Alla organ"), *choices.organs]

    def _select(self, name: str) -> OptionsSelect:
        return cast(OptionsSelect, self.fields[name].widget)

    @staticmethod
    def _invalid(value: str) -> ValidationError:
        return ValidationError(INVALID_CHOICE, code="invalid_choice", params={"value": value})

    def _offered_number(self, name: str, offered: set[int]) -> int | None:
        value = self.cleaned_data[name]
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            raise self._invalid(value) from None
        if number not in offered:
            raise self._invalid(value)
        return number

    def clean_forbund(self) -> str:
        value = self.cleaned_data["forbund"]
        if value and value not in self.organisations:
            raise self._invalid(value)
        return value

    def clean_ar(self) -> int | None:
        return self._offered_number("ar", self._years)

    def clean_organ(self) -> int | None:
        return self._offered_number("organ", self._organs)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Results are cached per query string (and data version and day), like the board."""
    key = "search:" + hashlib.sha256(request.GET.urlencode().encode()).hexdigest()
    # Search results are made of other pages' text: for search engines, nothing of their own.
    return _whole_page(request, lambda: _public(request, "public/search.html", {
        "content": cached_content(key, lambda: _search_content(request)),
    }, noindex=True))


def _search_content(request: HttpRequest) -> str:
    form = SearchForm(request.GET or None, choices=_choices())
    context: dict[str, Any] = {"form": form, "page": None, "results": []}
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        org = form.organisations.get(data["forbund"])
        filters = Filters(organisation_id=org.pk if org else None, year=data["ar"], organ_id=data["organ"])
        found = search_page(data["q"].strip(), filters, _page_number(request),
                            longest_minutes_retention(form.organisations.values()))
        context["page"] = found.page
        context["capped"] = found.capped
        context["candidates"] = found.limit
        context["results"] = [
            {
                "label": hit.label,
                "title": hit.title,
                "snippet": hit.snippet,
                "meta": f"{hit.organisation_name} · {hit.organ_name} · {hit.meeting_date:%Y-%m-%d}",
                "url": MINUTES_DETAIL(hit.organisation_slug, hit.meeting_date.year, hit.meeting_id) + f"#p{hit.pk}",
            }
            for hit in found.hits
        ]
        query = request.GET.copy()
        query.pop("sida", None)
        context["query_string"] = query.urlencode()
    return render_to_string("public/_search_content.html", context)


# The feedback form: at most this many sends per address an hour (counted in the shared cache,
# so across every web node); what a person sends beyond it is refused with a Swedish sentence.
FEEDBACK_PER_HOUR = 5
FEEDBACK_SENT = "Tack! Ditt meddelande har skickats till förbundet."
FEEDBACK_LIMITED = ("Du har skickat många meddelanden på kort tid. Försök igen om en timme, eller skriv "
                    "direkt till förbundets registrator.")


def _feedback_limited(request: HttpRequest) -> bool:
    """Whether this address has sent FEEDBACK_PER_HOUR already (the cache keeps only a hash of
    the address, for an hour). With the cache down, nobody is refused."""
    return rate_limited("public:tillganglighet", request.META.get("REMOTE_ADDR", ""), limit=FEEDBACK_PER_HOUR)


@csrf_exempt  # anonymous, with no session to ride on; a CSRF cookie would be the page's only cookie
@require_http_methods(["GET", "POST"])
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement and its feedback form (lag (2018:1937) 10 §)."""
    form = AccessibilityFeedbackForm(request.POST or None)
    status, sent, limited = 200, False, False
    if request.method == "POST":
        if _feedback_limited(request):
            limited, status = True, 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                board_services.accessibility_feedback_submit(
                    organisation=data["organisation"], kind=data["kind"], message=data["message"],
                    page=data["page"], email=data["email"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                sent, form = True, AccessibilityFeedbackForm()
        if form.errors:
            status = 422
    return _public(request, "public/accessibility.html", {
        "form": form, "sent": sent, "sent_text": FEEDBACK_SENT, "limited": limited, "limited_text": FEEDBACK_LIMITED,
    }, noindex=False, status=status)


# --- the secretary's notice pages ----------------------------------------------------------


def _organisation_for_editor(request: HttpRequest, slug: str) -> Organisation:
    return organisation_or_404(request.user, slug, Action.EDIT_MINUTES)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Slag", choices=[(Notice.Kind.DELEGATION, Notice.Kind.DELEGATION.label), (Notice.Kind.FREE, Notice.Kind.FREE.label)]
    )
    title = forms.CharField(label="Rubrik", max_length=300)
    body = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 6}), required=False,
                           help_text="Markdown.")
    organ = forms.ModelChoiceField(label="Organ", queryset=Organ.objects.none(), required=False)
    paragraphs = forms.CharField(label="Beslut/paragrafer", max_length=200, required=False,
                                 help_text="T.ex. delegationsbeslut nr 2024:3.")
    posted_on = forms.DateField(label="Datum för anslags uppsättande", widget=DateInput())
    takedown_on = forms.DateField(
        label="Datum för anslags nedtagande", widget=DateInput(), required=False,
        help_text="För delegationsbeslut räknas sista dag för överklagande ut; anslaget sitter minst så länge.",
    )
    attachment = forms.FileField(label="Bilaga (PDF, DOCX, XLSX eller ODT)", required=False)
    attachment_title = forms.CharField(label="Bilagans titel", max_length=300, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = cast(dict[str, forms.ModelChoiceField], self.fields)
        fields["organ"].queryset = organisation.organs.order_by("name")


class PostingDayForm(forms.Form):
    posted_on = forms.DateField(label="Datum för anslags uppsättande", widget=DateInput())


@login_required
@require_http_methods(["GET", "POST"])
def manage_notices(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_editor(request, slug)
    form = NoticeForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                notice = notice_services.notice_create(
                    organisation=organisation, kind=data["kind"], title=data["title"], body=data["body"],
                    organ=data["organ"], paragraphs=data["paragraphs"], posted_on=data["posted_on"],
                    takedown_on=data["takedown_on"], actor=request.user,
                )
                if data["attachment"]:
                    try:
                        notice_services.notice_attachment_add(
                            notice=notice, upload=data["attachment"], title=data["attachment_title"],
                            actor=request.user,
                        )
                    except ValidationError as exc:
                        raise ValidationError({"attachment": exc.message_dict.get("file", exc.messages)}) from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("public:manage_notices", slug=organisation.slug)
    notices = list(
        Notice.objects.filter(organisation=organisation).select_related("organ", "meeting").order_by("-posted_on", "-pk")[:100]
    )
    return render(request, "public/manage_notices.html", {
        "organisation": organisation, "form": form, "notices": notices, "today": today(),
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def posting_day(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.select_related("organisation"), pk=pk)
    if not can(request.user, Action.EDIT_MINUTES, notice.organisation):
        raise Http404
    form = PostingDayForm(request.POST or None, initial={"posted_on": notice.posted_on})
    if request.method == "POST" and form.is_valid():
        try:
            notice_services.notice_set_posting_day(notice=notice, posted_on=form.cleaned_data["posted_on"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("public:manage_notices", slug=notice.organisation.slug)
    return render(request, "public/posting_day.html", {"notice": notice, "form": form},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def kungorelse_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("organ__organisation"), pk=pk)
    if not can(request.user, Action.EDIT_MINUTES, meeting.organ.organisation):
        raise Http404
    try:
        notice_services.notice_kungorelse(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Sammanträdet är kungjort på anslagstavlan.")
    return redirect("public:manage_notices", slug=meeting.organ.organisation.slug)

