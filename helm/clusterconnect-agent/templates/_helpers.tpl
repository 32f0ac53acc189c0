{{/*
Names. The fullname is "<release>-agent" (or the release name alone when it already says "agent"),
so the key Secret comes out as "<release>-agent-key".
*/}}
{{- define "cca.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cca.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains "agent" .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-agent" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "cca.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "cca.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: agent
app.kubernetes.io/part-of: clusterconnect
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "cca.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cca.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "cca.serviceAccountName" -}}
{{- default (include "cca.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "cca.keySecretName" -}}
{{- default (printf "%s-key" (include "cca.fullname" .)) .Values.keySecret.name }}
{{- end }}

{{- define "cca.bootstrapSecretName" -}}
{{- default (printf "%s-bootstrap" (include "cca.fullname" .)) .Values.bootstrap.existingSecret }}
{{- end }}

{{- define "cca.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Where things are mounted; application.properties points at these paths.
*/}}
{{- define "cca.configFile" -}}/etc/clusterconnect/application.properties{{- end }}
{{- define "cca.bootstrapDir" -}}/var/run/clusterconnect/bootstrap{{- end }}
{{- define "cca.relayCaDir" -}}/etc/clusterconnect/relay-ca{{- end }}
{{- define "cca.proxyCaDir" -}}/etc/clusterconnect/proxy-ca{{- end }}

{{/*
A value written into a .properties file: backslashes and line breaks would otherwise be read as
escapes or as the start of another key.
*/}}
{{- define "cca.prop" -}}
{{- toString . | replace "\\" "\\\\" | replace "\r" "\\r" | replace "\n" "\\n" }}
{{- end }}

{{/*
A CA bundle volume from {configMap, secret, key}; the file is always called ca.crt.
*/}}
{{- define "cca.caVolume" -}}
{{- $ca := .ca -}}
- name: {{ .name }}
  {{- if $ca.configMap }}
  configMap:
    name: {{ $ca.configMap }}
    items:
      - key: {{ $ca.key }}
        path: ca.crt
  {{- else }}
  secret:
    secretName: {{ $ca.secret }}
    items:
      - key: {{ $ca.key }}
        path: ca.crt
  {{- end }}
{{- end }}

{{/*
Combinations the schema cannot express; all problems are reported at once.
*/}}
{{- define "cca.validate" -}}
{{- $errors := list }}
{{- if and .Values.relay.caBundle.configMap .Values.relay.caBundle.secret }}
{{- $errors = append $errors "relay.caBundle: set configMap or secret, not both" }}
{{- end }}
{{- if and .Values.proxy.caBundle.configMap .Values.proxy.caBundle.secret }}
{{- $errors = append $errors "proxy.caBundle: set configMap or secret, not both" }}
{{- end }}
{{- if and .Values.proxy.httpsProxy .Values.proxy.existingSecret }}
{{- $errors = append $errors "proxy: set httpsProxy or existingSecret, not both" }}
{{- end }}
{{- if and .Values.bootstrap.token .Values.bootstrap.existingSecret }}
{{- $errors = append $errors "bootstrap: set token or existingSecret, not both" }}
{{- end }}
{{- if and (not .Values.keySecret.create) (not .Values.keySecret.name) }}
{{- $errors = append $errors "keySecret.name is required when keySecret.create is false" }}
{{- end }}
{{- if $errors }}
{{- fail (printf "\n%s" (join "\n" $errors)) }}
{{- end }}
{{- end }}

{{/*
One OIDC issuer as properties under .prefix. Optional settings are written only when given, so
the application's own defaults apply otherwise; an explicitly empty prefix is kept (it means "no
prefix").
*/}}
{{- define "cca.issuerProperties" -}}
{{- $p := .prefix }}
{{- $i := .issuer }}
{{- $keys := list "url" "audience" "usernameClaim" "usernamePrefix" "groupsClaim" "groupsPrefix" "uidClaim" "extraClaims" "algorithms" }}
{{- range $key := $keys }}
{{- if hasKey $i $key }}
{{- $value := get $i $key }}
{{- if kindIs "slice" $value }}{{ $value = join "," $value }}{{ end }}
{{ $p }}.{{ kebabcase $key }}={{ include "cca.prop" $value }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Cluster-scoped, so the namespace is part of the name: two releases called alike in different
namespaces must not fight over one ClusterRole.
*/}}
{{- define "cca.clusterRoleName" -}}
{{- printf "clusterconnect:%s:%s" .Release.Namespace (include "cca.fullname" .) }}
{{- end }}
