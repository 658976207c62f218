# Las páginas públicas de derechos: por país, etapa del ciclo migratorio e idioma.
rights-title = Conozca sus derechos
rights-intro = Información en lenguaje sencillo sobre sus derechos, en cada etapa de su viaje, y sobre dónde pedir ayuda. Elija un país y una etapa.
rights-country = País
rights-stage = Etapa de su viaje
rights-show = Mostrar
rights-stage-pre_departure = Antes de salir
rights-stage-transit = Durante el viaje
rights-stage-destination = En el país donde vive o trabaja
rights-stage-return = Al volver a casa
rights-not-found = No hay información para esta elección. Elija un país y una etapa de las listas.
rights-helplines = Líneas de ayuda y números de emergencia
rights-emergency = Emergencias
rights-services-link = Buscar un servicio que pueda ayudarle
rights-report-link = Denunciar un problema, de forma segura y sin dar su nombre
rights-fallback = Esta página aún no está escrita en { $language }. Aquí la tiene en inglés.
rights-reviewed = Última revisión: { $date }
rights-where = Hay información para
