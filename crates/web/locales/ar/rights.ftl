# صفحات الحقوق العامة: حسب البلد ومرحلة الهجرة واللغة.
rights-title = اعرف حقوقك
rights-intro = معلومات بلغة بسيطة عن حقوقك في كل مرحلة من رحلتك، وعن الجهات التي يمكنك اللجوء إليها طلبًا للمساعدة. اختر بلدًا ومرحلة.
rights-country = البلد
rights-stage = مرحلة رحلتك
rights-show = عرض
rights-stage-pre_departure = قبل السفر
rights-stage-transit = أثناء الطريق
rights-stage-destination = في البلد الذي تعيش أو تعمل فيه
rights-stage-return = عند العودة إلى الوطن
rights-not-found = لا توجد معلومات لهذا الاختيار. اختر بلدًا ومرحلة من القوائم.
rights-helplines = خطوط المساعدة وأرقام الطوارئ
rights-emergency = الطوارئ
rights-services-link = ابحث عن خدمة يمكنها مساعدتك
rights-report-link = أبلغ عن مشكلة بأمان ودون ذكر اسمك
rights-fallback = هذه الصفحة غير مكتوبة بعد باللغة { $language }. إليك نسختها الإنجليزية.
rights-reviewed = آخر مراجعة: { $date }
rights-where = تتوفر معلومات عن
