from django.core.management.base import BaseCommand
from django.utils import timezone

from programs.models import Session, SessionStatus
from programs.selectors import session_with_calendar
from programs.services import pending_transitions


class Command(BaseCommand):
    help = "Print the next calendar transitions of every session (overdue ones are marked)."

    def add_arguments(self, parser):
        parser.add_argument("--session", help="Only this session (its slug).")
        parser.add_argument("--limit", type=int, default=3, help="Transitions shown per session (0: all).")

    def handle(self, *args, **options):
        now = timezone.now()
        sessions = session_with_calendar(Session.objects.exclude(status=SessionStatus.ARCHIVED)).order_by(
            "starts_at", "pk"
        )
        if options["session"]:
            sessions = sessions.filter(slug=options["session"])
        shown = 0
        for session in sessions:
            transitions = pending_transitions(session=session, now=now)
            if options["limit"]:
                transitions = transitions[: options["limit"]]
            self.stdout.write(f"{session.slug} [{session.get_status_display()}]")
            if session.status == SessionStatus.DRAFT:
                self.stdout.write("  brouillon : rien ne se passe avant la publication")
            elif not transitions:
                self.stdout.write("  plus rien à faire")
            for transition in transitions:
                when = timezone.localtime(transition.when).strftime("%Y-%m-%d %H:%M")
                late = " (en retard)" if transition.when <= now else ""
                self.stdout.write(f"  {when}  {transition.label}{late}")
            shown += 1
        if not shown:
            self.stdout.write("Aucune session.")
