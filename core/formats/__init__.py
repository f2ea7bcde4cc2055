"""Django format overrides (``FORMAT_MODULE_PATH``): the one date format of ``core.formatting``.

Django formats a date it prints without an explicit format (``{{ d }}``, a
django-tables2 date column, a form's initial value) with the locale's
``DATE_FORMAT`` / ``SHORT_DATE_FORMAT`` ("March 31, 2027", "03/31/2027" in
English). These modules make every such spelling ISO, the choice written
down in ``core/formatting.py``.
"""
