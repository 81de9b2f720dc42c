"""The dashboard: ``timeline serve`` runs Voila on the dashboard notebook with a page cache.

:mod:`~timeline.serve.options` (the options, declared once), :mod:`~timeline.serve.launcher`
(``serve()``), :mod:`~timeline.serve.app` (the Voila subclass, wiring the parts),
:mod:`~timeline.serve.kernels` (the notebook rendered in a pooled or new kernel),
:mod:`~timeline.serve.pages` (the rendered page, kept until the data changes),
:mod:`~timeline.serve.lists` (a long story's list, search and claim pages, in a worker process),
:mod:`~timeline.serve.handlers` (the routes), :mod:`~timeline.serve.responses` (sending and
streaming bodies), :mod:`~timeline.serve.limits` (what a client is allowed),
:mod:`~timeline.serve.proxy` (jupyter-server-proxy entry point).
Heavy dependencies: voila, tornado (imported only when a server starts).
"""
