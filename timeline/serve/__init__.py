"""The dashboard: ``timeline serve`` runs Voila on the dashboard notebook with a page cache.

:mod:`~timeline.serve.launcher` (options and ``serve()``), :mod:`~timeline.serve.app` (the Voila
subclass and its public handlers), :mod:`~timeline.serve.pages` (the rendered page and the list's
data, kept until the data changes), :mod:`~timeline.serve.proxy` (jupyter-server-proxy entry point).
Heavy dependencies: voila, tornado (imported only when a server starts).
"""
