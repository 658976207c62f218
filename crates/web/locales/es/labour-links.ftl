# Nombrar una entidad desde un documento retenido o un cribado, quitar un vínculo, una licencia
# cambiada entretanto, y las agencias conjuntas y la sanción de una visita.
links-holder-section = Quién tiene el documento
links-involved-section = Quién está implicado: empleador o reclutador
links-holder-link = Quién lo tiene: buscar en el registro
links-involved-link = Quién está implicado: nombrar al empleador o reclutador
links-back-person = Volver a la persona y sus documentos
links-back-screening = Volver al cribado
links-remove = Quitar este vínculo
staff-done-links-removed = El vínculo se ha quitado.
links-licence-newer = Otra persona registró una licencia más reciente entretanto; no se guardó nada de lo que escribió. Registrado ahora:
visit-joint = Otras agencias presentes
visit-joint-hint = Marque cada agencia que participó. Los servicios de control migratorio nunca participan en la visita a una entidad que nombran quejas de trabajadores: convertiría una queja en una redada.
visit-sanction = Sanción confirmada
visit-sanction-hint = Solo una sanción confirmada por la inspección o un tribunal. Se muestra en la consulta pública de reclutadores.
visit-sanction-description = Qué se decidió
visit-sanction-authority = Autoridad que decidió
visit-sanction-decided-on = Fecha de la decisión
