// The two messages between the widget (on the operator's page) and its iframe (on PUBLIC_URL).
/** iframe → widget: the chat page is loaded and listening. */
export const WIDGET_READY = 'onbehalf:widget-ready';
/** widget → iframe: the buyer token, sent to PUBLIC_URL's origin only. */
export const WIDGET_TOKEN = 'onbehalf:buyer-token';
