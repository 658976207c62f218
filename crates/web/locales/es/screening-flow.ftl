# A screening: finishing with questions still open, the question list, the person in the header.
staff-done-screening-finished = El cribado ha terminado; su resultado figura a continuación.
staff-screening-flow-unnamed = Persona sin nombre registrado
staff-screening-flow-questions = Lista de preguntas
staff-screening-flow-item-answered = { $n }: respondida
staff-screening-flow-item-open = { $n }: sin respuesta
staff-screening-flow-finish-title = ¿Terminar el cribado con preguntas aún sin respuesta?
staff-screening-flow-open = { $open ->
    [one] { $open } de { $total } preguntas aún no tiene respuesta.
   *[other] { $open } de { $total } preguntas aún no tienen respuesta.
}
staff-screening-flow-finish-why = Un cribado terminado no se puede modificar. Las preguntas sin respuesta cuentan como desconocidas, así que el resultado puede indicar que no hay información suficiente, y hacerlas más tarde obliga a empezar un cribado nuevo. Las respuestas dadas hasta ahora están guardadas.
staff-screening-flow-ask-now = Hacer ahora las preguntas sin respuesta
staff-screening-flow-finish-anyway = Terminar de todos modos
staff-screening-list-progress = { $answered } de { $total } respondidas
