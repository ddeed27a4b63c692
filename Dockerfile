# autospec: build the jar and run the main job (CPU). The same image runs on a GPU host with the
# NVIDIA container runtime (`docker run --gpus all ...`): the jar picks the CUDA backend when a
# device and the driver are present (kernels are compiled when nvcc is available at build time).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
COPY kernels kernels
COPY native-build native-build
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/autospec.jar /app/autospec.jar
ENTRYPOINT ["java", "-jar", "/app/autospec.jar"]
CMD ["sample", "--model", "markov:q=2,stay=0.9", "--n", "4096", "--samples", "8", "--seed", "1"]
