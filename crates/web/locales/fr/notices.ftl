# The status line after a form did its work (`?done=…`).
staff-done-saved = Enregistré.
