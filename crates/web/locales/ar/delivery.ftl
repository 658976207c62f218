# A staff reply's delivery through the messaging gateways (issue 19 item 4).
reply-delivery-queued = في انتظار الإرسال
reply-delivery-retrying = لم تُرسل بعد: فشلت { $attempts } محاولات، وستُعاد المحاولة
reply-delivery-sent = أُرسلت إلى البوابة، ولم يُؤكَّد وصولها إلى الهاتف بعد
reply-delivery-delivered = وصلت
reply-delivery-failed = لم تصل: { $reason }. تواصلوا مع الشخص بطريقة أخرى.
reply-delivery-reason-gateway-not-configured = لا توجد بوابة رسائل مهيأة لهذه القناة
reply-delivery-reason-number-cannot-receive = الرقم لا يستقبل الرسائل القصيرة
reply-delivery-reason-unsubscribed = أوقف الشخص الرسائل من هذا الرقم
reply-delivery-reason-refused = رفضت البوابة الرسالة
reply-delivery-reason-undelivered = تعذّر على الشبكة إيصالها
reply-delivery-reason-gave-up = توقفت المحاولات بعد { $attempts } محاولات
