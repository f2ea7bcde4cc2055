"""The demo portfolio: ``manage.py seed_demo`` and ``manage.py demo_logins``.

Apart from ``core`` (which never imports a domain app) because it builds on
every app: vendors, contracts and SLAs here (``demo.seed``), and each later
app's own part through ``core.registry`` (``register_app(demo=...)``), which
receives the ``demo.base.Seeder``. Nothing in the product imports it.
"""
