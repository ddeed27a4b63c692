# autospec: the README's build command in a CUDA devel image (so the jar carries the kernels), run on
# a Java runtime image. The kernels need only the NVIDIA driver (no CUDA library): with the NVIDIA
# container toolkit, `docker run --gpus all IMAGE` samples on the GPU (any driver for CUDA 12.0 or
# newer, sm_75 or newer); without `--gpus` the same image runs on the CPU and says why in one line.
# The runtime stage is deliberately not an nvidia/cuda image: those require the driver of their own
# CUDA version (NVIDIA_REQUIRE_CUDA), which would lock out the CUDA 12 drivers the portable PTX serves.
# Checked by io.autospec.DockerfileTest (copied paths exist, commands equal the README's).

# JDK 17 and Maven 3.9, copied into the CUDA image below.
FROM maven:3.9.9-eclipse-temurin-17 AS jdk

FROM nvidia/cuda:13.0.1-devel-ubuntu24.04 AS build
COPY --from=jdk /opt/java/openjdk /opt/java/openjdk
COPY --from=jdk /usr/share/maven /usr/share/maven
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH=/opt/java/openjdk/bin:/usr/share/maven/bin:/usr/local/cuda/bin:$PATH
WORKDIR /src
# The whole tree (every module of the reactor), minus build outputs: see .dockerignore.
COPY . .
RUN mvn -q -B package -DskipTests
# The jar bundles the CUDA provider module (autospec-cuda: found through BackendProvider) and its kernels.
RUN jar tf target/autospec.jar | grep -q META-INF/services/io.autospec.backend.BackendProvider
RUN jar tf target/autospec.jar | grep -q io/autospec/cuda/kernels/kernels.list

FROM eclipse-temurin:17.0.13_11-jre-jammy
ENV NVIDIA_VISIBLE_DEVICES=all
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility
WORKDIR /app
COPY --from=build /src/target/autospec.jar /app/target/autospec.jar
ENTRYPOINT ["java", "-jar", "target/autospec.jar"]
CMD ["sample", "--model", "markov:q=2,stay=0.9", "--n", "4096", "--samples", "8", "--seed", "1"]
