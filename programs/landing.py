"""Each role's space after login, registered with `declics.accounts.landing` when the spine loads.

The spaces of the steps (the mentor's, the partner's) are named by their URL, not imported: the
spine imports no step. A job seeker lands on their current session's pathway (the rule of
"Mon parcours", `programs.enrolments.current_session_enrolment`), else on "Mon parcours" itself,
which lists the sessions open to them.
"""

from django.urls import reverse

from declics.accounts import landing
from declics.accounts.models import Role

from .enrolments import current_session_enrolment


def job_seeker_landing(user) -> str:
    enrolment = current_session_enrolment(user)
    if enrolment is None:
        return reverse("programs:my_pathway")
    return reverse("programs:pathway", kwargs={"slug": enrolment.session.slug})


def register_landings() -> None:
    landing.register(Role.STAFF, lambda user: reverse("programs:staff_sessions"))
    landing.register(Role.ADVISER, lambda user: reverse("programs:adviser_sessions"))
    landing.register(Role.MENTOR, lambda user: reverse("mentoring:mentor_dashboard"))
    landing.register(Role.PARTNER, lambda user: reverse("jobs:partner_home"))
    landing.register(Role.JOB_SEEKER, job_seeker_landing)
