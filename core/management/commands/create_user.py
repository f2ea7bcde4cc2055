"""``manage.py create_user USERNAME --role ROLE [--vendor ID] [--password P]``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core import roles
from core.services import user_provision


class Command(BaseCommand):
    help = "Create (or update) a user with a role; vendor users and vendor managers take --vendor."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=roles.ALL_ROLES)
        parser.add_argument(
            "--vendor",
            type=int,
            help="vendor id (vendor_user: theirs; vendor_manager: the vendor to own)",
        )
        parser.add_argument("--password", help="password (default: unusable; set one later)")
        parser.add_argument("--email", default="")

    def handle(self, *args, **opts):
        try:
            user = user_provision(
                username=opts["username"],
                role=opts["role"],
                vendor_id=opts["vendor"],
                password=opts["password"],
                email=opts["email"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{user.username} ({user.role})"))
