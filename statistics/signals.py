"""Signals that let the other apps join in without ``statistics`` importing them (it is the base app)."""

from django.dispatch import Signal

# Sent by ``load_report_data`` after the appendix figures are loaded; receivers load their own fixtures and may
# return a one-line summary to print.
report_data_loaded = Signal()
