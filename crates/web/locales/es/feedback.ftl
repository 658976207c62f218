# Lo que pidió la trabajadora social cansada (incidencia 13): un solo formulario para la
# evaluación de necesidades, un motivo para rechazar una solicitud, una confirmación antes de
# cerrar el caso de un niño, una fecha límite que se puede cambiar y adjuntos que dicen qué son.

## Evaluación de necesidades
staff-feedback-needs-one-form = Complete los ámbitos que quiera a continuación y guarde una sola vez. Los ámbitos que no toque quedan como están.
staff-feedback-needs-save = Guardar la evaluación
staff-feedback-need-changed = Otra persona guardó esta necesidad mientras usted escribía. Lo que escribió sigue aquí; lo que guardó la otra persona está en la tabla de arriba. Guarde de nuevo para reemplazarlo por lo suyo.
staff-done-feedback-nothing-changed = No había cambiado nada, así que no se guardó nada.

## Aprobaciones
staff-feedback-rejection-reason = Motivo del rechazo
staff-feedback-rejection-reason-hint = obligatorio; la trabajadora social lo lee en el caso
staff-feedback-rejection-reason-needed = Indique un motivo para rechazar: quien hizo la solicitud lo lee en el caso.
staff-feedback-child-closure-what = Este es el caso de un niño o una niña. Aprobarlo lo cierra ahora con el resultado y el motivo de arriba; las visitas de seguimiento se planifican a partir de la fecha de cierre.
staff-feedback-child-closure-confirm = Confirmo que el caso de este niño o niña se cierra ahora
staff-feedback-confirm-child-closure-needed = Aprobar cierra el caso de un niño o una niña: marque la casilla para confirmar y luego apruebe.
staff-feedback-close-rejected = Una persona supervisora rechazó cerrar este caso:
staff-feedback-close-rejected-by = Rechazado por { $by }, { $at }.
staff-done-feedback-rejected = Solicitud rechazada. La trabajadora social ve su motivo en el caso.
staff-done-feedback-approved = Solicitud aprobada: el caso está cerrado.

## Tareas
staff-done-feedback-task-added = Tarea añadida.
staff-feedback-due-change = Nueva fecha límite
staff-feedback-due-change-submit = Cambiar la fecha
staff-feedback-due-past = Esta fecha límite está en el pasado. Revísela o confirme que es la que quiere.
staff-feedback-due-past-confirm = Sí, la fecha límite está en el pasado
staff-done-feedback-due-changed = Fecha límite cambiada.

## Adjuntos
staff-feedback-document-type = Tipo de documento
staff-feedback-attachment-description-hint = opcional; qué es el documento, para quien lo busque más adelante
staff-done-feedback-file-attached = Archivo adjuntado.

## Tipos de documento de un adjunto
v-attachment_kind-identity_document = Documento de identidad
v-attachment_kind-travel_document = Documento de viaje
v-attachment_kind-employment_contract = Contrato de trabajo
v-attachment_kind-payslip = Nómina
v-attachment_kind-medical_record = Historia clínica
v-attachment_kind-legal_document = Documento jurídico
v-attachment_kind-police_report = Denuncia o informe policial
v-attachment_kind-photo_evidence = Foto como prueba
v-attachment_kind-correspondence = Carta o mensaje
v-attachment_kind-other = Otro
