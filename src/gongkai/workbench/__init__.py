"""The staff workbench shell: the dashboard, the working-day calendar pages and the navigation context.

It sits above the ledger apps (it may import ``core`` and ``org``) so that ``core`` stays below ``org``.
"""
