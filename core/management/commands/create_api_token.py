"""``manage.py create_api_token USERNAME`` prints a new API token (stored hashed)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it once (only its hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="lifetime in days")

    def handle(self, *args, **opts):
        User = get_user_model()
        try:
            user = User.objects.get(username=opts["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {opts['username']!r}.") from exc
        self.stdout.write(api_token_create(user=user, days=opts["days"]))
