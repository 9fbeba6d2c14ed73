"""Spreadsheet imports in the workspace: reads and writes of :class:`~workspace.models.ImportJob`.

An upload is checked by the bundle importer (:mod:`zones.importer`) in a dry run, shown as a
preview, and applied on request: the same validation, the same ``sheet:line: column:
message`` errors and the same all-or-nothing transaction as ``manage.py import_zones``.
Bundles of up to ``IMPORT_SYNC_MAX_ROWS`` rows are checked and applied in the request;
larger ones by a Celery task (queued on commit) that reports its progress as it goes.

- :mod:`.reading`: an uploaded ``.csv``, ``.xlsx`` or ``.zip`` as the importer's sheets;
- :mod:`.report`: what a check or an import did, as the JSON a job keeps;
- :mod:`.progress`: progress written while the import's transaction is open, and read back;
- :mod:`.steps`: checking and applying a job once, under its lock (a task's whole body);
- :mod:`.services`: upload, apply and retry, in the request or queued for :mod:`.tasks`;
- :mod:`.selectors`, :mod:`.views`, :mod:`.forms` and the :mod:`.template_workbook`.

Only zone editors and administrators import (:func:`accounts.roles.can_edit`); editors
import rows for the zones they edit at the time the file is checked or applied.
"""
