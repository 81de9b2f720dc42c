"""The data core: the contract's tables, dates, checks, load and save, diffs and the corrections log.

It depends on pandas only and imports no wing: it never renders HTML and never starts a server.
"""
