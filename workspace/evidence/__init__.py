"""Evidence behind editors' updates: gazette notifications, utilities' letters, site photos.

- :mod:`.checks`: a file's type read from its content; images re-encoded (no metadata
  left), PDFs opened; the size limit;
- :mod:`.services`: attaching a file to an update, and naming the record once approved;
- :mod:`.selectors`: who may see a file, and the evidence behind a zone's public records;
- :mod:`.forms`, :mod:`.views`: the upload form and the download (always an attachment).

Files live in the ``evidence`` storage (``STORAGES["evidence"]``): private, under the data
directory by default, never served as media; only :func:`.views.download` hands them out.
"""
