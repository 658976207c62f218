# A screening: finishing with questions still open, the question list, the person in the header.
staff-done-screening-finished = انتهى الفحص؛ نتيجته أدناه.
staff-screening-flow-unnamed = شخص بلا اسم مسجّل
staff-screening-flow-questions = قائمة الأسئلة
staff-screening-flow-item-answered = { $n }: أُجيب عنه
staff-screening-flow-item-open = { $n }: بلا إجابة
staff-screening-flow-finish-title = هل تريد إنهاء الفحص وما زالت هناك أسئلة بلا إجابة؟
staff-screening-flow-open = { $open ->
    [one] سؤال واحد من { $total } لم تتم الإجابة عنه بعد.
    [two] سؤالان من { $total } لم تتم الإجابة عنهما بعد.
    [few] { $open } أسئلة من { $total } لم تتم الإجابة عنها بعد.
    [many] { $open } سؤالًا من { $total } لم تتم الإجابة عنها بعد.
   *[other] { $open } سؤال من { $total } لم تتم الإجابة عنها بعد.
}
staff-screening-flow-finish-why = لا يمكن تعديل الفحص بعد إنهائه. تُعد الأسئلة غير المُجاب عنها غير معروفة، لذا قد تفيد النتيجة بعدم كفاية المعلومات، وطرحها لاحقًا يتطلب بدء فحص جديد. الإجابات المقدَّمة حتى الآن محفوظة.
staff-screening-flow-ask-now = اطرح الأسئلة غير المُجاب عنها الآن
staff-screening-flow-finish-anyway = إنهاء على أي حال
staff-screening-list-progress = تمت الإجابة عن { $answered } من { $total }
