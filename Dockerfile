# One image with every service binary; each Kubernetes workload picks its command.
# Not built in CI (no container engine on the build machines): build with
#   docker build -t gmall-pipeline:dev .
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      pkg-config librdkafka-dev libhiredis-dev libcurl4-openssl-dev zlib1g-dev libmariadb-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Libraries Libraries
COPY Services Services
COPY Tools Tools
COPY Tests Tests
RUN swift build -c release --static-swift-stdlib \
    && mkdir /out && for p in log-ingest enricher sink-es query-api cdc; do cp .build/release/$p /out/; done \
    && cp -r .build/release/gmall-pipeline_QueryAPI.resources /out/   # the OpenAPI document and the dashboard

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      librdkafka1 libhiredis0.14 libcurl4 zlib1g libmariadb3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin gmall
COPY --from=build /out/ /usr/local/bin/
USER 10001
ENV LOG_FORMAT=json
