"""Report rendering: what the notebooks show and how a report folder is built.

The notebooks' context, the section blocks, charts, HTML/PDF build, manifest, batch and
landing page, and the submission to the Ministry.
"""
