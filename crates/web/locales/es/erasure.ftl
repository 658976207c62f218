# Supresión de la persona de un caso y conservación legal (issue 19).

erasure-tab = Supresión
erasure-title = Supresión y conservación legal
erasure-hold-title = Conservación legal
erasure-hold-on = Este caso está bajo conservación legal: nadie puede suprimir a la persona mientras dure.
erasure-hold-off = Este caso no está bajo conservación legal.
erasure-hold-set = Poner el caso bajo conservación legal
erasure-hold-lift = Levantar la conservación legal
erasure-erase-title = Suprimir a la persona
erasure-erase-intro = La supresión destruye la clave de cifrado propia de la persona: su identidad, sus documentos y archivos, y el texto libre de sus casos ya no se pueden leer, ni aquí ni en ninguna copia de seguridad. El caso queda, sin nada que nombre a la persona, para las estadísticas. No se puede deshacer.
erasure-reason = Por qué se suprime a la persona (no se guarda en ningún registro)
erasure-confirm = Entiendo que los datos de la persona se suprimen para siempre.
erasure-submit = Suprimir a la persona
erasure-refused-hold = No se puede suprimir a la persona mientras el caso esté bajo conservación legal. Un supervisor debe levantarla primero.
erasure-supervisors-only = Solo un supervisor de la organización del caso puede suprimir a la persona.
erasure-erased-on = Los datos de esta persona se suprimieron el { $when }.
erasure-erased-name = Persona suprimida
staff-problem-legal-hold = no se puede aceptar: el caso está bajo conservación legal, que un supervisor debe levantar primero.
staff-problem-supervisor-required = solo puede darlo un supervisor de la organización del caso.
staff-field-confirm = Confirmación
staff-field-hold = Conservación legal
