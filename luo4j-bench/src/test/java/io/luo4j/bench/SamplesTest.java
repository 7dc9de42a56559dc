package io.luo4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void theMedianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
        assertEquals(7, new Samples().add(9).add(1).add(7).median());
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(5, new Samples().add(10).add(4).add(6).add(1).median());
    }

    @Test
    void nothingMeasuredIsNotANumberRatherThanZero() {
        Samples none = new Samples();
        assertTrue(Double.isNaN(none.median()));
        assertTrue(Double.isNaN(none.max()));
        assertEquals(0, none.count());
    }

    @Test
    void theRangeIsKept() {
        Samples samples = new Samples().add(3).add(8).add(5);
        assertEquals(3, samples.min());
        assertEquals(8, samples.max());
        assertEquals(3, samples.values().size());
    }
}
