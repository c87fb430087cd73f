"""Chinese text as reports print it: width and script normalisation (normalize.py), dates,
statistics periods, report years and Chinese numerals (dates.py). Used by the report model,
the table layer and the extractors alike, so it depends on none of them."""
