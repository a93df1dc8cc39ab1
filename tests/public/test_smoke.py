from __future__ import annotations

import datetime as dt

import time_machine

from minutes import notices


def test_pages_render(client, published, secretary):
    notice = notices.notice_for_justering(meeting=published.meeting, justered_on=dt.date(2023, 11, 6), actor=secretary)
    with time_machine.travel(dt.datetime(2023, 11, 10, 12, 0), tick=False):
        for url in ["/anslagstavla/", f"/anslagstavla/anslag/{notice.pk}/", "/anslagstavla/arkiv/",
                    "/protokoll/", "/protokoll/prov/", "/protokoll/prov/2023/",
                    f"/protokoll/prov/2023/{published.meeting.pk}/", "/sok/?q=tilläggsäskande",
                    "/anslagstavla/atom.xml", "/kalender.ics", "/tillganglighet/"]:
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
            print(url, r.content.decode()[:0])
        r = client.get("/sok/?q=tilläggsäskande")
        assert "<mark>" in r.content.decode()
