"""The demo portfolio: ``manage.py seed_demo`` and ``manage.py demo_logins``.

Apart from ``core`` (which never imports a domain app) because it builds on
every app: vendors, contracts and SLAs here (``demo.seed``), and each later
app's own part through ``core.registry`` (``register_app(demo=...)``), which
receives a ``core.seeding.Seeder``. ``demo`` is the top layer: nothing in the
product imports it, and the seeding framework the apps use lives in ``core``.
"""
