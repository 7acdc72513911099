"""Dashboards, reports and exports: the figures (selectors), their charts and their files.

`selectors` computes every figure with a constant number of queries, scoped by `visible_to`;
`charts` lays out server-rendered SVG bar charts; `exports` writes CSV and XLSX; `activity`
merges the organisation's activity log with the applications' transition log.
"""
