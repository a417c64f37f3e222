FROM busybox:local
ONBUILD COPY --from=builder /out /from-builder
