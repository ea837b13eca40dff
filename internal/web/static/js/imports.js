// Front-end code of the imports screens (Alpine components register on alpine:init).
