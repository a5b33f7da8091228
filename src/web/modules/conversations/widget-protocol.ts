// The two messages between the widget (on the operator's page) and its iframe (on PUBLIC_URL).
/** iframe → widget: the chat page is loaded and listening. */
export const WIDGET_READY = 'onbehalf:widget-ready';
/** widget → iframe: the buyer token, sent to PUBLIC_URL's origin only. */
export const WIDGET_TOKEN = 'onbehalf:buyer-token';
/** iframe → widget: the server refused the buyer token (expired); the host page may set a new one. */
export const WIDGET_TOKEN_REFUSED = 'onbehalf:buyer-token-refused';
/** The DOM event the widget's script element fires then, for the host page to listen to. */
export const TOKEN_REFUSED_EVENT = 'onbehalf:token-refused';
