package dev.sessiond.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoreRunTest {

    @Test
    void badSignature_changesOnlyTheMac() {
        String token = "sd1.k1.cGF5bG9hZA.AbCdEf";
        String bad = StoreRun.badSignature(token);
        assertThat(bad).isEqualTo("sd1.k1.cGF5bG9hZA.BbCdEf");
        assertThat(StoreRun.badSignature("sd1.k1.cGF5bG9hZA.xyz")).isEqualTo("sd1.k1.cGF5bG9hZA.Ayz");
    }

    @Test
    void profilePools_groupNumberedThreads() {
        assertThat(Profile.pool("grpc-default-executor-12")).isEqualTo("grpc-default-executor");
        assertThat(Profile.pool("grpc-nio-worker-ELG-3-1")).isEqualTo("grpc-nio-worker-ELG");
    }
}
