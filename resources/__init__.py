"""Non-code resources of TSBplace (installed as ``tsbplace.resources``).

Translations, fonts, JSON schemas and example case files, found at run time through
``tsbplace.package_data``, never through paths relative to a checkout.
"""
