#!/bin/sh
# The client archive: clusterconnect-VERSION-OS-ARCH.tar.gz in TARGET_DIR, holding bin/clusterconnect
# (the launcher of the checkout), lib/clusterconnect.jar (the runnable jar), lib/clusterconnect.jsa
# (the class-data archive for 'clusterconnect token', made by the bundled runtime) and runtime/ (a
# jlink'ed Java). A jlink'ed runtime runs only on the OS and CPU of the JDK that made it, so the
# archive is for the build machine's platform (docs/client.md).
#
#   packaging/client-archive.sh MODULES JAR VERSION TARGET_DIR
set -eu
modules=$1
jar=$2
version=$3
target=$4
here=$(cd "$(dirname "$0")" && pwd)

os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m)
[ "$arch" = arm64 ] && arch=aarch64
name=clusterconnect-$version-$os-$arch
work=$target/client-archive
dir=$work/$name
rm -rf "$work"
mkdir -p "$dir/bin" "$dir/lib"
sh "$here/runtime.sh" "$modules" "$dir/runtime"
cp "$here/../bin/clusterconnect" "$dir/bin/clusterconnect"
chmod 755 "$dir/bin/clusterconnect"
cp "$jar" "$dir/lib/clusterconnect.jar"

# The token archive, trained as proxy-app/pom.xml does for the checkout's jar, but by the bundled
# runtime: an archive only maps into the JVM that wrote it.
java=$dir/runtime/bin/java
export XDG_CACHE_HOME="$work/cds-training"
export CLUSTERCONNECT_CDS_TOKEN=eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDAsInN1YiI6ImNkcy10cmFpbmluZyJ9.
"$java" -cp "$dir/lib/clusterconnect.jar" dev.clusterconnect.proxy.cli.FastToken \
  token --cluster cds-training --token-env CLUSTERCONNECT_CDS_TOKEN >/dev/null
"$java" -XX:ArchiveClassesAtExit="$dir/lib/clusterconnect.jsa" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$dir/lib/clusterconnect.jar" dev.clusterconnect.proxy.cli.FastToken \
  token --cluster=cds-training --token-env CLUSTERCONNECT_CDS_TOKEN >/dev/null

tar -C "$work" -czf "$target/$name.tar.gz" "$name"
echo "$target/$name.tar.gz"
