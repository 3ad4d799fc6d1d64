package io.gridchain.bench.plot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.bench.plot.SvgCharts.Axis;
import io.gridchain.bench.plot.SvgCharts.Chart;
import io.gridchain.bench.plot.SvgCharts.Point;
import io.gridchain.bench.plot.SvgCharts.Reference;
import io.gridchain.bench.plot.SvgCharts.Series;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class SvgChartsTest {
    @TempDir Path tmp;

    static final List<Series> THREE = List.of(
            new Series("credibility", List.of(new Point(1.18, 5e-6), new Point(1.20, 5e-6), new Point(1.21, 1e-5))),
            new Series("majority m=16", List.of(new Point(16.2, 5e-6), new Point(18.0, 5e-6), new Point(19.9, 5e-6))),
            new Series("poco", List.of(new Point(2.25, 7e-5), new Point(2.50, 5e-6), new Point(2.50, 3e-4))));

    static Chart errorAgainstCost(List<Series> series) {
        return new Chart("Error rate against cost, f = 0.20", "100 tasks per cell", new Axis("results per task", true),
                new Axis("error rate", true), series, new Reference(1e-4, "target 1e-4"), true);
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    static List<String> texts(Document doc) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < nodes.getLength(); i++) texts.add(nodes.item(i).getTextContent());
        return texts;
    }

    /**
     * What the groups each point's mark is drawn in refer to, e.g. {"seriesKey": "poco", "itemIndex": 2}: the chart
     * wraps every mark in one, so a series or a point missing from the drawing is missing here.
     */
    static List<String> markGroups(Document doc) {
        List<String> refs = new ArrayList<>();
        NodeList groups = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            String ref = g.getAttributeNS("http://www.jfree.org/jfreesvg/svg", "ref");
            if (ref.contains("seriesKey") && g.getElementsByTagNameNS("*", "*").getLength() > 0) refs.add(ref);
        }
        return refs;
    }

    @Test
    void theChartIsAnSvgDocumentWithItsTitlesAndEverySeriesNamed() throws Exception {
        Document doc = parse(SvgCharts.svg(errorAgainstCost(THREE)));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(texts(doc)).contains("Error rate against cost, f = 0.20", "100 tasks per cell", "results per task",
                "error rate", "credibility", "majority m=16", "poco", "target 1e-4");
    }

    @Test
    void everyPointHasItsOwnMark() throws Exception {
        List<String> marks = markGroups(parse(SvgCharts.svg(errorAgainstCost(THREE))));
        assertThat(marks).hasSize(9);
        for (String series : List.of("credibility", "majority m=16", "poco")) {
            assertThat(marks).filteredOn(id -> id.contains("\"" + series + "\"")).as(series).hasSize(3);
        }
    }

    @Test
    void aDroppedSeriesLosesItsMarksAndItsLegendEntry() throws Exception {
        Document doc = parse(SvgCharts.svg(errorAgainstCost(THREE.subList(0, 2))));
        assertThat(markGroups(doc)).hasSize(6).noneMatch(id -> id.contains("poco"));
        assertThat(texts(doc)).doesNotContain("poco");
    }

    @Test
    void ratesSpanningDecadesGetALogAxisAndALineWithoutMarksHasNone() throws Exception {
        List<Point> line = new ArrayList<>();
        for (int i = 0; i <= 20; i++) line.add(new Point(i / 10.0, i * 100));
        Chart overTime = new Chart("Certified tasks over time: 1,000.0 tasks/s", "", new Axis("seconds", false),
                new Axis("tasks certified", false), List.of(new Series("certified tasks", line)), null, false);
        Document doc = parse(SvgCharts.svg(overTime));
        assertThat(texts(doc)).contains("Certified tasks over time: 1,000.0 tasks/s", "seconds", "tasks certified",
                "certified tasks", "0", "2,000");
        assertThat(markGroups(doc)).isEmpty();
        // the error rates above span 5e-6 to 3e-4: their axis's ticks are powers of ten, not 0.0001 steps from 0
        assertThat(texts(parse(SvgCharts.svg(errorAgainstCost(THREE))))).contains("1E-4", "1E-5").doesNotContain("0");
    }

    @Test
    void aMissingDirectoryIsOneLineBeforeTheRunAndAWritableOneIsWritten() throws Exception {
        Path missing = tmp.resolve("nowhere").resolve("chart.svg");
        assertThat(PlotFile.problem(missing)).isEqualTo("--plot " + missing + ": directory " + missing.getParent()
                + " does not exist");
        assertThat(PlotFile.problem(tmp)).endsWith("is a directory, not a file");
        Path file = tmp.resolve("chart.svg");
        assertThat(PlotFile.problem(file)).isNull();
        PlotFile.write(file, SvgCharts.svg(errorAgainstCost(THREE)));
        assertThat(parse(Files.readString(file)).getDocumentElement().getLocalName()).isEqualTo("svg");
    }
}
