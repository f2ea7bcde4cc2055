"""Leave room in the pages of results and breaches for their updates in place.

Every evaluation after the first rewrites the computed columns of the
Results and Breaches of the periods it touches (actual, measurement count,
credit, earn-back). With full pages each new row version goes to another
page and into every index; with 15 % of each page free, PostgreSQL keeps
the new version on the same page and skips the indexes (a HOT update), as
long as no indexed column changes.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("slas", "0002_drop_redundant_sla_indexes")]

    operations = [
        migrations.RunSQL(
            sql="ALTER TABLE slas_result SET (fillfactor = 85);"
            "ALTER TABLE slas_breach SET (fillfactor = 85);",
            reverse_sql="ALTER TABLE slas_result RESET (fillfactor);"
            "ALTER TABLE slas_breach RESET (fillfactor);",
        )
    ]
