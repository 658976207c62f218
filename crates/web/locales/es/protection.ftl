# Necesidades de protección internacional (incidencia 14, punto 5): una persona que solicita
# asilo, es refugiada o teme el retorno nunca se deriva ni se muestra a un consulado u otra
# autoridad del país del que huyó.

staff-protection-title = Protección internacional
staff-protection-what = Una persona que solicita asilo, es refugiada o teme el retorno nunca se comparte, deriva ni transfiere a un consulado, ministerio, policía u otra autoridad de los países indicados aquí. Registrar una necesidad pone fin de inmediato a cualquier intercambio de ese tipo.
staff-protection-mark = Necesidades de protección internacional: no compartir con autoridades de { $countries }
staff-protection-mark-why = Passage rechaza cualquier intercambio, derivación o transferencia de este caso a un consulado u otra autoridad de estos países.
staff-protection-see = Ver las necesidades de protección
staff-protection-none = No hay ninguna necesidad de protección internacional registrada.
staff-protection-open = Registrar o ver necesidades de protección internacional
staff-protection-record = Registrar una necesidad de protección
staff-protection-kind = Tipo de necesidad
staff-protection-choose = Elija una
staff-protection-countries = Países de los que huyó o a los que teme volver
staff-protection-countries-hint = elija uno o varios
staff-protection-reason = Motivo
staff-protection-reason-hint = obligatorio; solo su organización lo lee
staff-protection-submit = Registrar la necesidad
staff-protection-owner-records = Solo la organización que lleva este caso registra las necesidades de protección.
staff-field-kind = Tipo de necesidad
staff-field-countries = Países

v-protection_kind-asylum_seeker = Solicitante de asilo
v-protection_kind-refugee = Persona refugiada
v-protection_kind-fear_of_return = Teme el retorno
