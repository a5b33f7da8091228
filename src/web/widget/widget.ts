// The one-tag widget: `<script src="{PUBLIC_URL}/widget.js" data-marketplace="IT" data-buyer-token="…" async>`.
// Phase 1 placeholder: the chat button and panel come with the chat.
export {};
