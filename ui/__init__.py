"""TSBplace's Qt layer (installed as ``tsbplace.ui``): windows, pages, dialogs, models.

It only lays out widgets and forwards the clinician's actions to core services; it holds
no SQL, no scoring and no rules. Every Qt import goes through :mod:`tsbplace.ui.qt`.
"""
