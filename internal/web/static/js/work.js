// Front-end code of the work screens (Alpine components register on alpine:init).
