"""Publishing the quarter accessibly: the consolidated report as a static website for the council's own site,
with its figures as open data beside it.

Since the Public Sector Bodies Accessibility Regulations 2018 what a council
publishes must meet WCAG 2.2 AA. The pages are made accessible by
construction: every rating and direction written in words as well as
colour, tables with headers and captions, charts as inline SVG with a text
alternative and their table, headings in order, a skip link, the language
set, and a layout that reflows at 400% zoom and prints.
"""

from .site import PublishBlocked, PublishError, publish

__all__ = ["PublishBlocked", "PublishError", "publish"]
