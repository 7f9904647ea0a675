"""One module per report section: shows what the computing layers return."""
