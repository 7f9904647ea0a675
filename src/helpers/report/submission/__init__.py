"""The submission to the Ministry: its content, the Word template and the .docx writer."""
