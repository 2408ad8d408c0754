"""The pages the benchmark loads. Later issues append their pages to SCENARIOS.

A scenario is a name, a path and, when the page needs data or a logged-in visitor, a `setup`
function. `setup` runs once in the benchmark process (Django is configured against the benchmark
database, with the same settings as the server) before the scenario's requests, and returns the
extra request headers, usually the session cookie from `login_headers(user)`. It must be
idempotent: the benchmark database is kept from one run to the next.

The first scenario is the baseline: every other one is reported as a percentage of its
requests/s (DESIGN.md's budgets are written that way).

Example for a later issue:

    def _pathway_setup() -> dict[str, str]:
        from tests.factories import UserFactory  # or the app's services
        user, _ = User.objects.get_or_create(email="bench-job-seeker@declics.example", ...)
        ...enrol the user in a session with 6 steps...
        return login_headers(user)

    SCENARIOS.append(Scenario("pathway", "/sessions/.../parcours/", setup=_pathway_setup,
                              expected_text="Étape 1", budget_ratio=0.10))
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    setup: Callable[[], dict[str, str]] | None = None
    # A piece of the body that proves the page is the right one (not an error page or a redirect).
    expected_text: str | None = None
    expected_status: int = 200
    # The DESIGN.md budget as a fraction of the baseline's requests/s (None: no budget).
    budget_ratio: float | None = None
    description: str = ""


def login_headers(user) -> dict[str, str]:
    """A Cookie header for a real database session of `user`, as after a login (second factor included).

    Builds the session the way django.contrib.auth.login does, without a request.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from declics.accounts.mfa import mark_second_factor_passed

    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    mark_second_factor_passed(session, user)  # staff and advisers need it on every page
    session.create()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}


def _logged_in_job_seeker() -> dict[str, str]:
    from declics.accounts.models import Role, User

    user = User.objects.filter(email="bench-job-seeker@declics.example").first()
    if user is None:
        user = User.objects.create_user(
            email="bench-job-seeker@declics.example",
            first_name="Camille",
            last_name="Banc",
            role=Role.JOB_SEEKER,
        )
    return login_headers(user)


SCENARIOS: list[Scenario] = [
    Scenario(
        "hello",
        "/hello",
        expected_text="hello",
        description="bare Django view: no template, no query (the baseline)",
    ),
    Scenario(
        "home",
        "/",
        expected_text="DéClics",
        budget_ratio=0.10,
        description="home page, anonymous visitor: full base layout, no query",
    ),
    Scenario(
        "home-logged-in",
        "/",
        setup=_logged_in_job_seeker,
        expected_text="Mon espace",
        budget_ratio=0.10,
        description="home page, logged-in job seeker: session read and saved, user loaded",
    ),
]


def _pathway_setup() -> dict[str, str]:
    from bench.bench_programs import pathway_setup

    return pathway_setup()


SCENARIOS.append(
    Scenario(
        "pathway",
        "/sessions/bench-programs/parcours/",
        setup=_pathway_setup,
        expected_text="Mon parcours",
        budget_ratio=0.10,
        description="pathway page of a job seeker in a running session of 10,000 people",
    )
)


def _adviser_dashboard(size: int) -> Callable[[], dict[str, str]]:
    def setup() -> dict[str, str]:
        from bench.bench_dashboard import dashboard_setup

        return dashboard_setup(size)

    return setup


def _impact_setup() -> dict[str, str]:
    from bench.bench_dashboard import impact_setup

    return impact_setup()


SCENARIOS.extend(
    [
        Scenario(
            "adviser-dashboard-600",
            "/sessions/conseiller/bench-adviser-600/",
            setup=_adviser_dashboard(600),
            expected_text="600 personnes",
            budget_ratio=0.05,
            description="adviser dashboard of a 600-person session (funnel + first page of 25)",
        ),
        Scenario(
            "adviser-dashboard-10k",
            "/sessions/conseiller/bench-adviser-10000/",
            setup=_adviser_dashboard(10_000),
            expected_text="10000 personnes",
            description="adviser dashboard of a 10,000-person session (funnel + page of 25); p95 < 300 ms",
        ),
        Scenario(
            "impact-100k",
            "/sessions/impact/",
            setup=_impact_setup,
            expected_text="Impact du programme",
            description="staff impact dashboard over 100,000 enrolments (run with --requests 100)",
        ),
    ]
)


def _workshop_list_setup() -> dict[str, str]:
    from bench.bench_programs import workshop_list_setup

    return workshop_list_setup()


SCENARIOS.append(
    Scenario(
        "workshop-list",
        "/sessions/bench-programs/ateliers/",
        setup=_workshop_list_setup,
        expected_text="Prochains ateliers",
        budget_ratio=0.10,
        description="workshop list of a job seeker, 77 upcoming workshops (a page of 10) and one booking",
    )
)
