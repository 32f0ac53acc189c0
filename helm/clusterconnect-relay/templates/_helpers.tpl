{{/*
Names. The fullname is "<release>-relay" (or the release name alone when it already says "relay").
*/}}
{{- define "ccr.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ccr.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains "relay" .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-relay" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "ccr.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ccr.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: relay
app.kubernetes.io/part-of: clusterconnect
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "ccr.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ccr.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ccr.serviceAccountName" -}}
{{- default (include "ccr.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "ccr.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "ccr.fullname" .)) .Values.tls.secretName }}
{{- end }}

{{- define "ccr.claimName" -}}
{{- default (printf "%s-data" (include "ccr.fullname" .)) .Values.database.h2.persistence.existingClaim }}
{{- end }}

{{- define "ccr.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "ccr.publicUrl" -}}
{{- if .Values.publicUrl }}
{{- .Values.publicUrl }}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts }}
{{- printf "https://%s" (first .Values.ingress.hosts) }}
{{- end }}
{{- end }}

{{- define "ccr.peerServiceName" -}}
{{- printf "%s-peers" (include "ccr.fullname" . | trunc 57 | trimSuffix "-") }}
{{- end }}

{{/*
"true" when more than one pod may run at once (several replicas, or an autoscaler that may add
them), else empty. Everything a replica set needs hangs on this: PostgreSQL, peers, the budget.
*/}}
{{- define "ccr.several" -}}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/*
"true" when the relay joins a replica set (peer port, presence leases): peer.enabled, where
"auto" means exactly when there may be several replicas.
*/}}
{{- define "ccr.peers" -}}
{{- $enabled := .Values.peer.enabled }}
{{- if eq (toString $enabled) "auto" }}{{ include "ccr.several" . }}{{ else if $enabled }}true{{ end }}
{{- end }}

{{/*
Fixed by the image and the chart, so not values: where the relay listens and what it mounts.
*/}}
{{- define "ccr.httpsPort" -}}8443{{- end }}
{{- define "ccr.configFile" -}}/etc/clusterconnect/application.properties{{- end }}
{{- define "ccr.tlsDir" -}}/etc/clusterconnect/tls{{- end }}
{{- define "ccr.dbSecretDir" -}}/etc/clusterconnect/db{{- end }}
{{- define "ccr.dataDir" -}}/data{{- end }}
{{- define "ccr.peerTlsDir" -}}/etc/clusterconnect/peer-tls{{- end }}

{{/*
A value written into a .properties file: backslashes and line breaks would otherwise be read as
escapes or as the start of another key.
*/}}
{{- define "ccr.prop" -}}
{{- toString . | replace "\\" "\\\\" | replace "\r" "\\r" | replace "\n" "\\n" }}
{{- end }}

{{/*
One OIDC issuer as properties under .prefix; optional settings only when given.
*/}}
{{- define "ccr.issuerProperties" -}}
{{- $p := .prefix }}
{{- $i := .issuer }}
{{- $keys := list "url" "audience" "usernameClaim" "usernamePrefix" "groupsClaim" "groupsPrefix" "uidClaim" "extraClaims" "algorithms" }}
{{- range $key := $keys }}
{{- if hasKey $i $key }}
{{- $value := get $i $key }}
{{- if kindIs "slice" $value }}{{ $value = join "," $value }}{{ end }}
{{ $p }}.{{ kebabcase $key }}={{ include "ccr.prop" $value }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Combinations the schema cannot express; all problems are reported at once.
*/}}
{{- define "ccr.validate" -}}
{{- $errors := list }}
{{- $db := .Values.database }}
{{- $peer := .Values.peer }}
{{- $several := "" }}
{{- if .Values.autoscaling.enabled }}
{{- $several = "autoscaling.enabled is true" }}
{{- else if gt (int .Values.replicaCount) 1 }}
{{- $several = printf "replicaCount is %d" (int .Values.replicaCount) }}
{{- end }}
{{- if and $several (eq $db.type "h2") }}
{{- $errors = append $errors (printf "%s but database.type is h2: replicas share one PostgreSQL database (an H2 file belongs to one pod), so set database.type=postgresql with database.postgresql.url (or urlKey) and existingSecret, or run replicaCount 1" $several) }}
{{- end }}
{{- if and $several (eq (toString $peer.enabled) "false") }}
{{- $errors = append $errors (printf "%s but peer.enabled is false: a request that reaches a replica without its cluster's tunnel is forwarded over the peer links, so leave peer.enabled at auto (or true)" $several) }}
{{- end }}
{{- if include "ccr.peers" . }}
{{- if and (not $several) (eq $db.type "h2") }}
{{- $errors = append $errors "peer.enabled is true but database.type is h2: replicas find each other through PostgreSQL, so set database.type=postgresql" }}
{{- end }}
{{- if not $peer.tls.existingSecret }}
{{- $errors = append $errors "peer.tls.existingSecret is required when peers are on (more than one replica, autoscaling or peer.enabled): a Secret with tls.crt, tls.key and ca.crt, the CA signing the replicas' peer certificates and nothing else (docs/deploy.md, \"Several relay replicas\")" }}
{{- end }}
{{- if or (eq (int $peer.port) (int (include "ccr.httpsPort" .))) (eq (int $peer.port) (int .Values.health.port)) }}
{{- $errors = append $errors (printf "peer.port %d is taken: the relay listens on %s (HTTPS) and %d (health.port)" (int $peer.port) (include "ccr.httpsPort" .) (int .Values.health.port)) }}
{{- end }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- $errors = append $errors "autoscaling: minReplicas is more than maxReplicas" }}
{{- end }}
{{- if eq $db.type "postgresql" }}
{{- if not $db.postgresql.existingSecret }}
{{- $errors = append $errors "database.postgresql.existingSecret is required: the Secret holding the database password" }}
{{- end }}
{{- if and $db.postgresql.url $db.postgresql.urlKey }}
{{- $errors = append $errors "database.postgresql: set url or urlKey, not both" }}
{{- end }}
{{- if not (or $db.postgresql.url $db.postgresql.urlKey) }}
{{- $errors = append $errors "database.postgresql: url or urlKey is required" }}
{{- end }}
{{- if and $db.postgresql.username $db.postgresql.usernameKey }}
{{- $errors = append $errors "database.postgresql: set username or usernameKey, not both" }}
{{- end }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.hosts) }}
{{- $errors = append $errors "ingress.hosts: at least one host is required when ingress.enabled is true" }}
{{- end }}
{{- if $errors }}
{{- fail (printf "\n%s" (join "\n" $errors)) }}
{{- end }}
{{- end }}
