"""Screens of the reader: the main screen and its dialogs, one module each."""
