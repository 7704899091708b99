"""Chapter content: what each chapter notebook displays, built from tables, plots and text.

A notebook only calls these functions (thin notebooks); each returns a
:class:`lerenwerkt.render.Block` of HTML.
"""

CHAPTERS = ("verzuim", "vrijstellingen", "vsv", "jikp", "bijlagen", "raadsmededeling")
