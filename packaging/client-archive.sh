#!/bin/sh
# The client archive: clusterconnect-VERSION-OS-ARCH.tar.gz in TARGET_DIR, holding bin/clusterconnect
# (the launcher of the checkout), lib/clusterconnect.jar (the runnable jar) and runtime/ (a jlink'ed
# Java, with its default class-data archive). No AppCDS archive for 'clusterconnect token': Java 17
# maps one only if the jar is at the path it had when the archive was written, and the archive is
# unpacked anywhere. A jlink'ed runtime runs only on the OS and CPU of the JDK that made it, so the
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
RUNTIME_CDS=yes sh "$here/runtime.sh" "$modules" "$dir/runtime"
cp "$here/../bin/clusterconnect" "$dir/bin/clusterconnect"
chmod 755 "$dir/bin/clusterconnect"
cp "$jar" "$dir/lib/clusterconnect.jar"

tar -C "$work" -czf "$target/$name.tar.gz" "$name"
echo "$target/$name.tar.gz"
