FROM busybox:local
ENV BASE_ENV=base
WORKDIR /app
ONBUILD ARG WHO=child
ONBUILD RUN echo "built for $WHO in $(pwd)" > /app/onbuild.txt
ONBUILD COPY trigger-input.txt /app/
ONBUILD COPY <<EOF /app/doc.txt
doc $BASE_ENV
EOF
ONBUILD LABEL onbuild.fired=yes
ONBUILD ENV FIRED=1
CMD ["cat", "/app/onbuild.txt"]
